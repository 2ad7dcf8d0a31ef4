"""CPU baselines trained by speaker-independent cross-validation (no CAMEO train split exists):
eGeMAPS features, grouped folds, protocols and the per-fold classifiers."""
