"""Talka tallying: exact, explained, recomputable counts. (Public API filled in below.)"""
