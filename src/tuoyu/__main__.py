"""``python -m tuoyu`` is the same as the ``tuoyu`` console script."""

from tuoyu.cli import main

main()
