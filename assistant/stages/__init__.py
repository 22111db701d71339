"""The answering core: question frame → plan → lead → answer (see DESIGN in the docs)."""
