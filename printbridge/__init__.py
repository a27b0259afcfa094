"""Printbridge: order import and fulfilment routing for print-on-demand merchants."""
