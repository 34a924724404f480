"""The control plane: workers that run programs, and the dispatcher that commands them."""
