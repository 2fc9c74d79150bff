"""The Compare view: one prompt, 2–8 columns (provider × model × settings) streamed at once.

``controller.CompareController`` holds the comparison being edited (a core ``Comparison`` on the
window's shared ``RequestDraft``) and runs it; ``view.CompareView`` lays out the prompt, the
columns (``column.CompareColumn``), the summary and the timeline chart and reflects the
controller's signals.
"""
