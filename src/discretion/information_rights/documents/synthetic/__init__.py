"""The synthetic care file (for the seed, the tests and `make bench`): documents of every kind a
care file holds, with the generator's truth of where each third party's name is on each scan."""
