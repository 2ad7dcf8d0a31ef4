"""transformers model families: one module per family, each following its model card's own
inference code (see ``docs/models.md``). ``hf.FAMILIES`` maps a checkpoint's config.json
``model_type`` to its family class; ``base.Family`` is what they share."""
