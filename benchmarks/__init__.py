"""Benchmarks behind `make bench`: each script measures one goal of issue 9 against a baseline taken
in the same run, prints the figures and says whether the target is met. None of them fails on a miss.
"""
