"""PyTorch katas. Work through them in the order of katas.toml (``make list``); ``make katas`` tells you where you are."""
