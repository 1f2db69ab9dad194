"""Discretion: information governance for Children's Services."""
