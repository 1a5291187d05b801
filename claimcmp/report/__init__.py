"""Reports of a comparison: a self-contained HTML file and three matplotlib plots."""

from claimcmp.report.html import render_report, write_report
from claimcmp.report.plots import plot_agreement, plot_coverage, plot_stance, save_plots

__all__ = ["plot_agreement", "plot_coverage", "plot_stance", "render_report", "save_plots", "write_report"]
