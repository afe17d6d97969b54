"""Numbers written out as words: moved to `reports.prose`, re-exported until callers move."""

from internkontroll.reports.prose import LARGEST_WRITTEN, number_word, sentence

__all__ = ["LARGEST_WRITTEN", "number_word", "sentence"]
