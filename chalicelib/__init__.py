"""Sonagram's domain: everything the HTTP functions and the spectrogram worker share."""
