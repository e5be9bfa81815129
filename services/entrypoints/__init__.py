"""The entry points: the intake consumer, the running services, the command line. Thin:
they parse what comes in and call the use cases."""
