import Testing

// Placeholder so the target builds; the stage fills it in.
