"""Development tools — the demo, the simulator, the demo village, the benchmark and the
embedded servers. The running services never import them at module level."""
