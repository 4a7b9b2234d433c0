"""Use Seamline's research tools from any LangChain agent.

    python examples/langchain_tools.py

Every tool returns Evidence items; the docstring is what a model sees, the infrastructure is injected.
"""

from __future__ import annotations

from seamline import Settings
from seamline.tools.toolbox import build_toolbox

toolbox = build_toolbox(Settings(search="none", knowledge="local"))
for tool in toolbox.as_langchain_tools():
    print(f"{tool.name}: {tool.description}")
print(toolbox.call("lookup_knowledge", query="raglan sleeve", k=2)[0].text[:200])
toolbox.close()
