def slugify(title):
    # Baseline: only lowercases and swaps spaces, so punctuation and repeated spaces slip through.
    return title.lower().replace(" ", "-")
