"""`python -m cli ...`: the `kezek` console script without its entry point."""

from cli.main import app

if __name__ == "__main__":
    app(prog_name="kezek")
