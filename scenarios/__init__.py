"""Generated days of the province: demand, scenario files, the demo day, the scale benchmark.

Outside the service: only the commands and the tests import it (``rides`` never does)."""
