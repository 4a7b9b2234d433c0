"""`python -m seamline`: the same as the `agent` command."""

from seamline.cli import main

main()
