"""What the portal's background spreadsheet imports share, whatever they bring in.

An import is a kind (`jobs.ImportKind`: its job model, its schema's parse and checks, its writer, who may
use it) run by one lifecycle: a dry run that writes nothing; the file stored privately and a job row
queued with it; a Celery task that checks the whole file again and writes it in one transaction, or
nothing. `models.FileImportJob` is the job's row, `views.ImportPages` the pages, `forms` the upload.
The registry's import (programs) and the insurance lists' (monitoring) are two kinds.
"""
