"""The priced-document core that orders and quotes share: columns, line schemas, pricing
against a price list, the device-versus-server comparison, discount approval, numbering and
the steps that store a document's lines and record its history.

Server side (Piccolo, the database). The pure arithmetic and the PDF template that the
device runs too stay in backend.quotes, the only package the engine bundle ships to Pyodide;
nothing here is bundled. Keep this file import-free.
"""
