"""transformers families beyond the paper's four: one module per model family, each following its
model card's own inference code (see ``docs/models.md``). ``hf.FAMILIES`` maps a checkpoint's
config.json ``model_type`` to its family class."""
