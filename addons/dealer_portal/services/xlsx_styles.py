"""The look of the workbooks the add-ons export: a title, a shaded header row,
values at the top of their cells, and totals under a rule."""

FORMATS = {
    "title": {"bold": True, "font_size": 14},
    "header": {
        "bold": True,
        "bg_color": "#E9ECEF",
        "border": 1,
        "text_wrap": True,
        "valign": "vcenter",
    },
    "text": {"valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "integer": {"num_format": "0", "valign": "top"},
    "money": {"num_format": "#,##0.00", "valign": "top"},
    "percent": {"num_format": "0.0%", "valign": "top"},
    "date": {"num_format": "yyyy-mm-dd", "valign": "top"},
    "total_label": {"bold": True, "top": 1},
    "total": {"bold": True, "num_format": "#,##0.00", "top": 1},
}


def styles(book, **extra):
    """The formats of ``FORMATS`` added to the xlsxwriter ``book``, and those of
    ``extra`` (name → format properties), by name."""
    return {
        name: book.add_format(properties)
        for name, properties in {**FORMATS, **extra}.items()
    }
