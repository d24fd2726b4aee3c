"""Every PDF vsend makes: tagged for screen readers (WeasyPrint's PDF/UA-1 output), so headings,
tables, lists and the reading order survive, with the document's language and title set from
the HTML's lang attribute and <title>."""

from weasyprint import HTML

PDF_VARIANT = "pdf/ua-1"


def tagged_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
