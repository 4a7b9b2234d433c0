"""LangGraph graphs: state schemas, the describe and competitor graphs, the visualizer."""
