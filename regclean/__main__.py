"""``python -m regclean``: the same command line as the ``regclean`` script.

The command line lives in the top-level ``cli`` module; the library itself never imports typer.
"""

from cli import main

if __name__ == "__main__":
    main()
