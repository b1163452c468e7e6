//! Reductions: how two documents of one key become one, by the `reduce` annotations of their schema.
