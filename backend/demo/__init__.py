"""The demo data set behind `rounds demo`: Tallinn, its reps and customers, six months of work."""

from backend.demo.loader import load_demo

__all__ = ["load_demo"]
