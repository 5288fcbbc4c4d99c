"""Console entry point ``rural-cars`` (the commands live in ``web.commands``)."""

from web.commands import main

if __name__ == "__main__":
    main()
