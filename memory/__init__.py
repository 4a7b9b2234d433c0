"""Memory: the Chroma knowledge store, the run store (checkpointer), caches."""
