"""Contacts in and out of the store: CSV (CRM and address-book exports) and vCard.

Reading (`reader.read_contacts`) turns a file into `ContactRecord`s and
per-line issues without touching the store; `importer.import_contacts` upserts
those records in one transaction; `exporter.export_contacts` writes the store
back out in a shape the reader takes again.
"""
