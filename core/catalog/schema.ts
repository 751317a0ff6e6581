/**
 * The catalog's schema, as numbered migrations. `PRAGMA user_version` records how far a catalog
 * has come; opening an older one brings it up to date, a newer one is refused.
 */
import { REVIEW_QUEUE_MIGRATION } from './review-schema.js';

export const MIGRATIONS: readonly string[] = [
  // 1: documents, their pages, and the outbox of index updates.
  `
  CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    source_path     TEXT NOT NULL UNIQUE,   -- absolute path of the original
    relative_path   TEXT NOT NULL,          -- relative to the folder it was ingested from
    media_type      TEXT,
    sha256          TEXT,                   -- of the original the library's PDF was made from
    size_bytes      INTEGER,
    settings        TEXT,                   -- conversion settings that shape the output (languages, forced OCR)
    output_path     TEXT UNIQUE,            -- relative to the library
    output_sha256   TEXT,
    output_bytes    INTEGER,
    title           TEXT,
    collection      TEXT,
    year            INTEGER,
    page_count      INTEGER NOT NULL DEFAULT 0,
    mean_confidence REAL,
    status          TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    error_code      TEXT,
    error_message   TEXT,
    failed_sha256   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    converted_at    TEXT
  );
  CREATE INDEX documents_status ON documents (status);

  CREATE TABLE pages (
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_no      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    confidence   REAL,
    text_source  TEXT NOT NULL CHECK (text_source IN ('ocr', 'pdf-text', 'none')),
    width_pt     REAL,
    height_pt    REAL,
    dpi          REAL,
    dpi_assumed  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (document_id, page_no)
  ) WITHOUT ROWID;

  CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL,
    op           TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
  );
  CREATE INDEX outbox_document ON outbox (document_id);
  `,
  // 2: what the clean stage did to each page, and where the page is in the PDF.
  `
  ALTER TABLE pages ADD COLUMN pdf_page INTEGER;          -- page of the searchable PDF; NULL when left out (dropped blank)
  ALTER TABLE pages ADD COLUMN rotation INTEGER;          -- clockwise quarter turns applied (0, 90, 180, 270); NULL when not cleaned
  ALTER TABLE pages ADD COLUMN skew_degrees REAL;         -- skew measured and removed; NULL when not cleaned
  ALTER TABLE pages ADD COLUMN blank INTEGER NOT NULL DEFAULT 0;
  UPDATE pages SET pdf_page = page_no;
  `,
  // 3: more of what the folders say; and the hot-folder watcher's claims on inbox files.
  `
  ALTER TABLE documents ADD COLUMN box TEXT;
  ALTER TABLE documents ADD COLUMN series TEXT;

  -- One row per inbox file the watcher has taken and not yet settled: what it is, how far it
  -- got, and where its original goes. A restart after a crash finishes or redoes each one.
  CREATE TABLE inbox_claims (
    inbox_path    TEXT PRIMARY KEY,          -- where the file landed
    relative_path TEXT NOT NULL,             -- relative to its inbox
    sha256        TEXT,
    size_bytes    INTEGER,
    state         TEXT NOT NULL CHECK (state IN ('working', 'retry', 'converted', 'failing')),
    final_path    TEXT,                      -- where the original goes (processed/ or failed/), or stays
    document_id   INTEGER,
    attempts      INTEGER NOT NULL DEFAULT 0,
    error_code    TEXT,
    error_message TEXT,
    retry_at      TEXT,
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX documents_sha256 ON documents (sha256);
  `,
  // 4: what the text says about the document: its type, date, language and personal data.
  `
  ALTER TABLE documents ADD COLUMN document_type TEXT;
  ALTER TABLE documents ADD COLUMN doc_date TEXT;          -- ISO YYYY-MM-DD
  ALTER TABLE documents ADD COLUMN language TEXT;
  ALTER TABLE documents ADD COLUMN personal_data INTEGER NOT NULL DEFAULT 0;
  `,
  // 5: everything found in a document — every date, its identifiers, taxpayer numbers — and the inventory's notes.
  `
  ALTER TABLE documents ADD COLUMN notes TEXT;
  CREATE TABLE document_facts (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,              -- 'date', 'processo', 'protocolo', 'decreto', 'lei', …, 'cpf', 'cnpj', 'cuit'
    value       TEXT NOT NULL,              -- normalised: ISO date, '1873/1987', digits
    text        TEXT NOT NULL,              -- as written
    page_no     INTEGER,
    main        INTEGER NOT NULL DEFAULT 0  -- the document's own date
  );
  CREATE INDEX document_facts_by_document ON document_facts (document_id);
  CREATE INDEX document_facts_by_value ON document_facts (kind, value);
  `,
  // 6: every run (ingest, watch, reindex, retry), for status and the morning's reading.
  `
  CREATE TABLE runs (
    run_id       TEXT PRIMARY KEY,
    command      TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT,
    stopped_by   TEXT,                -- completed, window, signal, error
    documents    INTEGER NOT NULL DEFAULT 0,
    indexed      INTEGER NOT NULL DEFAULT 0,
    skipped      INTEGER NOT NULL DEFAULT 0,
    failed       INTEGER NOT NULL DEFAULT 0,
    pages        INTEGER NOT NULL DEFAULT 0,
    remaining    INTEGER NOT NULL DEFAULT 0,
    report       TEXT                 -- the report's JSON file, relative to the library
  );
  CREATE INDEX runs_by_start ON runs (started_at);
  `,
  // 7: fixity checks. A pass re-hashes every file once; it may take several runs (stopped by a
  // signal, a window or a crash), each resuming after the last document the pass checked.
  `
  CREATE TABLE verify_passes (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: a report's pass id stays unique
    started_at       TEXT NOT NULL,
    finished_at      TEXT,                 -- NULL while unfinished: the next acervo verify resumes it
    outcome          TEXT CHECK (outcome IN ('completed', 'abandoned')),
    originals        INTEGER NOT NULL DEFAULT 0,   -- originals are re-hashed too
    last_document_id INTEGER NOT NULL DEFAULT 0,   -- the checkpoint: every document up to this id is checked
    documents        INTEGER NOT NULL DEFAULT 0,
    files            INTEGER NOT NULL DEFAULT 0,
    ok               INTEGER NOT NULL DEFAULT 0,
    bytes            INTEGER NOT NULL DEFAULT 0,
    runs             INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE verify_findings (
    pass_id         INTEGER NOT NULL REFERENCES verify_passes (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('missing', 'changed', 'unreadable', 'unexpected')),
    file            TEXT NOT NULL CHECK (file IN ('pdf', 'original')),
    document_id     INTEGER,
    path            TEXT NOT NULL,        -- a PDF's relative to the library, an original's absolute
    expected_sha256 TEXT,
    actual_sha256   TEXT,
    message         TEXT
  );
  CREATE INDEX verify_findings_by_pass ON verify_findings (pass_id);
  `,
  // 8: several documents from one original — a batch scan cut at its separator sheets. The
  // original's path is no longer unique, (path, part) is: the table is rebuilt (SQLite cannot drop
  // a UNIQUE), keeping every id, so pages, facts and the outbox still point where they did.
  `
  CREATE TABLE documents_v8 (
    id              INTEGER PRIMARY KEY,
    source_path     TEXT NOT NULL,          -- absolute path of the original (a batch file for each of its parts)
    part_no         INTEGER NOT NULL DEFAULT 1,  -- 1, 2, … in the batch's order; 1 for a file not split
    part_count      INTEGER NOT NULL DEFAULT 1,
    source_first_page INTEGER,              -- pages of the original this part holds; NULL: the whole file
    source_last_page  INTEGER,
    separator_page  INTEGER,                -- the separator sheet (or blank page) before it; NULL: none
    separator_text  TEXT,                   -- what its barcode said
    relative_path   TEXT NOT NULL,
    media_type      TEXT,
    sha256          TEXT,
    size_bytes      INTEGER,
    settings        TEXT,
    output_path     TEXT UNIQUE,
    output_sha256   TEXT,
    output_bytes    INTEGER,
    title           TEXT,
    collection      TEXT,
    year            INTEGER,
    page_count      INTEGER NOT NULL DEFAULT 0,
    mean_confidence REAL,
    status          TEXT NOT NULL CHECK (status IN ('done', 'failed')),
    error_code      TEXT,
    error_message   TEXT,
    failed_sha256   TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    converted_at    TEXT,
    box             TEXT,
    series          TEXT,
    document_type   TEXT,
    doc_date        TEXT,
    language        TEXT,
    personal_data   INTEGER NOT NULL DEFAULT 0,
    notes           TEXT,
    UNIQUE (source_path, part_no)
  );
  INSERT INTO documents_v8 (id, source_path, relative_path, media_type, sha256, size_bytes, settings, output_path, output_sha256, output_bytes,
      title, collection, year, page_count, mean_confidence, status, error_code, error_message, failed_sha256, attempts, created_at, updated_at,
      converted_at, box, series, document_type, doc_date, language, personal_data, notes)
    SELECT id, source_path, relative_path, media_type, sha256, size_bytes, settings, output_path, output_sha256, output_bytes,
      title, collection, year, page_count, mean_confidence, status, error_code, error_message, failed_sha256, attempts, created_at, updated_at,
      converted_at, box, series, document_type, doc_date, language, personal_data, notes
    FROM documents;
  DROP TABLE documents;
  ALTER TABLE documents_v8 RENAME TO documents;
  CREATE INDEX documents_status ON documents (status);
  CREATE INDEX documents_sha256 ON documents (sha256);
  `,
  // 9: pages in a rowid table. As WITHOUT ROWID, a page of text (1–3 KB) did not fit in its b-tree
  // cell and spilled into an overflow page of its own, mostly empty: a million pages took 3.4 GB for
  // 1.5 GB of text. Rows keep their values; (document, page) stays unique; and the embedded index
  // finds a page's text by its number in the PDF.
  `
  CREATE TABLE pages_v9 (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_no      INTEGER NOT NULL,
    text         TEXT NOT NULL,
    confidence   REAL,
    text_source  TEXT NOT NULL CHECK (text_source IN ('ocr', 'pdf-text', 'none')),
    width_pt     REAL,
    height_pt    REAL,
    dpi          REAL,
    dpi_assumed  INTEGER NOT NULL DEFAULT 0,
    pdf_page     INTEGER,
    rotation     INTEGER,
    skew_degrees REAL,
    blank        INTEGER NOT NULL DEFAULT 0,
    UNIQUE (document_id, page_no)
  );
  INSERT INTO pages_v9 (document_id, page_no, text, confidence, text_source, width_pt, height_pt, dpi, dpi_assumed, pdf_page, rotation, skew_degrees, blank)
    SELECT document_id, page_no, text, confidence, text_source, width_pt, height_pt, dpi, dpi_assumed, pdf_page, rotation, skew_degrees, blank
    FROM pages ORDER BY document_id, page_no;
  DROP TABLE pages;
  ALTER TABLE pages_v9 RENAME TO pages;
  CREATE INDEX pages_by_pdf_page ON pages (document_id, pdf_page);
  `,
  // 10: an archivist's review of redacted copies (core/redaction/review.ts): boxes they drew and
  // proposed boxes they removed, as places on a page of the document's PDF (fractions of the page
  // as shown). Kept with the document: a re-ingest updates the row in place and keeps them.
  `
  CREATE TABLE redaction_marks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_no      INTEGER NOT NULL,
    action       TEXT NOT NULL CHECK (action IN ('add', 'dismiss')),
    x0           REAL NOT NULL,
    y0           REAL NOT NULL,
    x1           REAL NOT NULL,
    y1           REAL NOT NULL,
    label        TEXT,
    made_by      TEXT NOT NULL,
    made_at      TEXT NOT NULL
  );
  CREATE INDEX redaction_marks_by_document ON redaction_marks (document_id, page_no);
  `,
  // 11: index updates the search backend refused for good (a document it will never take), set
  // aside so the rest keeps flowing: shown by status, tried again by `index --sync --retry-refused`.
  `
  ALTER TABLE outbox ADD COLUMN refused_at TEXT;
  `,
  // 12: what the clean stage did to each page's OCR image (despeckle, flatten-background, …),
  // comma-separated in order, as rotation and skew record the turns; NULL when not cleaned.
  `
  ALTER TABLE pages ADD COLUMN cleaning TEXT;
  `,
  // 13: what archive staff corrected (issue 25), kept as its own facts beside what the machine read.
  // An append-only history: each row is one change of one field of a document (page_no 0) or of one
  // page's text, with the value it replaced and the machine's value then. A newer change of the same
  // field marks the one before `superseded_by`, so at most one change per field is current (the
  // partial unique index). There is no foreign key on purpose: a re-ingest that removes a document
  // row (a batch cut into fewer parts) must not cascade into corrections; they stay keyed by the
  // original's path and part, and a row made again for that part takes them back (corrections.ts).
  //
  // The effective_* views lay the current corrections over the machine's columns: everything that
  // shows or indexes a document reads them (documents.ts, collections.ts, page-texts.ts), while
  // ingest, reindex and retry write the machine's tables only. A migration that rebuilds documents,
  // pages or document_facts must create these views again.
  `
  CREATE TABLE corrections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the version a later edit says it saw
    document_id   INTEGER NOT NULL,
    source_path   TEXT NOT NULL,                      -- the document's original and part: what a correction survives by
    part_no       INTEGER NOT NULL,
    page_no       INTEGER NOT NULL DEFAULT 0,         -- 0: a field of the document; else the page whose text it is
    field         TEXT NOT NULL,                      -- title, date, year, documentType, collection, series, box, notes, identifiers, text
    action        TEXT NOT NULL CHECK (action IN ('set', 'machine')),  -- machine: back to what the machine read, whatever it reads later
    value         TEXT,                               -- JSON, when set
    before_value  TEXT,                               -- JSON: the value shown before this change
    machine_value TEXT,                               -- JSON: the machine's value at the time
    holds_personal INTEGER NOT NULL DEFAULT 0,        -- a page text set holding a person's number: the document is flagged
    author        TEXT NOT NULL,
    at            TEXT NOT NULL,
    supersedes    INTEGER,                            -- the change current before this one (the version its author saw)
    superseded_by INTEGER,
    reverts       INTEGER                             -- the change this one undid
  );
  CREATE UNIQUE INDEX corrections_current ON corrections (document_id, page_no, field) WHERE superseded_by IS NULL;
  CREATE INDEX corrections_by_field ON corrections (document_id, page_no, field);
  CREATE INDEX corrections_by_source ON corrections (source_path, part_no);

  CREATE VIEW current_corrections AS
    SELECT id, document_id, page_no, field, value, holds_personal FROM corrections WHERE superseded_by IS NULL AND action = 'set';

  CREATE VIEW effective_documents AS
    SELECT d.id, d.source_path, d.part_no, d.part_count, d.source_first_page, d.source_last_page, d.separator_page, d.separator_text,
      d.relative_path, d.media_type, d.sha256, d.size_bytes, d.settings, d.output_path, d.output_sha256, d.output_bytes,
      IIF(c_title.id IS NULL, d.title, json_extract(c_title.value, '$')) AS title,
      IIF(c_collection.id IS NULL, d.collection, json_extract(c_collection.value, '$')) AS collection,
      CASE WHEN c_year.id IS NOT NULL THEN json_extract(c_year.value, '$')
           WHEN c_date.id IS NOT NULL AND json_extract(c_date.value, '$') IS NOT NULL THEN CAST(substr(json_extract(c_date.value, '$'), 1, 4) AS INTEGER)
           ELSE d.year END AS year,
      d.page_count, d.mean_confidence, d.status, d.error_code, d.error_message, d.failed_sha256, d.attempts,
      d.created_at, d.updated_at, d.converted_at,
      IIF(c_box.id IS NULL, d.box, json_extract(c_box.value, '$')) AS box,
      IIF(c_series.id IS NULL, d.series, json_extract(c_series.value, '$')) AS series,
      IIF(c_type.id IS NULL, d.document_type, json_extract(c_type.value, '$')) AS document_type,
      IIF(c_date.id IS NULL, d.doc_date, json_extract(c_date.value, '$')) AS doc_date,
      d.language,
      MAX(d.personal_data, EXISTS (SELECT 1 FROM current_corrections t WHERE t.document_id = d.id AND t.field = 'text' AND t.holds_personal = 1)) AS personal_data,
      IIF(c_notes.id IS NULL, d.notes, json_extract(c_notes.value, '$')) AS notes
    FROM documents d
    LEFT JOIN current_corrections c_title ON c_title.document_id = d.id AND c_title.page_no = 0 AND c_title.field = 'title'
    LEFT JOIN current_corrections c_collection ON c_collection.document_id = d.id AND c_collection.page_no = 0 AND c_collection.field = 'collection'
    LEFT JOIN current_corrections c_year ON c_year.document_id = d.id AND c_year.page_no = 0 AND c_year.field = 'year'
    LEFT JOIN current_corrections c_date ON c_date.document_id = d.id AND c_date.page_no = 0 AND c_date.field = 'date'
    LEFT JOIN current_corrections c_box ON c_box.document_id = d.id AND c_box.page_no = 0 AND c_box.field = 'box'
    LEFT JOIN current_corrections c_series ON c_series.document_id = d.id AND c_series.page_no = 0 AND c_series.field = 'series'
    LEFT JOIN current_corrections c_type ON c_type.document_id = d.id AND c_type.page_no = 0 AND c_type.field = 'documentType'
    LEFT JOIN current_corrections c_notes ON c_notes.document_id = d.id AND c_notes.page_no = 0 AND c_notes.field = 'notes';

  CREATE VIEW effective_pages AS
    SELECT p.id, p.document_id, p.page_no, p.pdf_page, IIF(c.id IS NULL, p.text, json_extract(c.value, '$')) AS text,
      p.confidence, p.text_source, p.width_pt, p.height_pt, p.dpi, p.dpi_assumed, p.rotation, p.skew_degrees, p.blank, p.cleaning
    FROM pages p
    LEFT JOIN current_corrections c ON c.document_id = p.document_id AND c.page_no = p.page_no AND c.field = 'text';

  -- Identifiers as corrected replace the machine's (dates and people's numbers stay the machine's).
  CREATE VIEW effective_facts AS
    SELECT f.document_id, f.kind, f.value, f.text, f.page_no, f.main, f.rowid AS seq FROM document_facts f
    WHERE f.kind = 'date' OR f.kind IN ('cpf', 'cnpj', 'cuit', 'rg', 'pis', 'titulo')
      OR NOT EXISTS (SELECT 1 FROM current_corrections c WHERE c.document_id = f.document_id AND c.page_no = 0 AND c.field = 'identifiers')
    UNION ALL
    SELECT c.document_id, json_extract(j.value, '$.kind'), json_extract(j.value, '$.value'), json_extract(j.value, '$.value'),
      json_extract(j.value, '$.page'), 0, 1000000000000 + c.id * 1000 + j.key
    FROM current_corrections c, json_each(c.value) j WHERE c.page_no = 0 AND c.field = 'identifiers';
  `,
  // 14: the review queue (issue 25), in review-schema.ts.
  REVIEW_QUEUE_MIGRATION,
  // 15: bulk changes (issue 25, point 5): one operation setting collection, series, box or type of
  // a selection (a box, a search's results, documents picked by hand), made of ordinary corrections
  // (one per field changed of each document) that name it, so the document's history shows them
  // and each can be reverted alone; reverting the bulk change reverts those still current.
  // `collections`: every collection the change touched (before, after, in its filters), by which a
  // user who may not see one of them is not shown the change at all.
  // The index on (collection, box) finds a box's documents without reading the whole catalog.
  `
  CREATE TABLE bulk_changes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    author       TEXT NOT NULL,
    at           TEXT NOT NULL,
    selection    TEXT NOT NULL,               -- JSON: {kind: box|search|documents|revert, …} as asked for
    fields       TEXT NOT NULL,               -- JSON: {field: value set}; for a revert, the fields it put back
    documents    INTEGER NOT NULL,            -- documents in the selection when applied
    changed      INTEGER NOT NULL,            -- documents that got at least one correction
    collections  TEXT NOT NULL,               -- JSON array of collection names it touched
    reverts      INTEGER,                     -- the bulk change this one undid
    reverted_by  INTEGER                      -- the latest bulk change that undid this one
  );
  ALTER TABLE corrections ADD COLUMN bulk_change INTEGER;
  CREATE INDEX corrections_by_bulk_change ON corrections (bulk_change) WHERE bulk_change IS NOT NULL;
  CREATE INDEX documents_by_box ON documents (collection, box);
  `,
  // 16: corrections written into the PDFs (issue 25, point 1). `corrections_seq` is the newest
  // correction of the document (corrections.id grows, never reused), kept by corrections.ts as it
  // saves one; `pdf_corrections_seq` the newest one its PDF was written with (by a rewrite,
  // core/pipeline/apply-corrections.ts, or a conversion that was handed them). A PDF waits for its
  // corrections while the first is greater: the partial index holds those documents only, so
  // finding them reads what waits, not the library (a million documents, a few waiting).
  //
  // pdf_rewrites: every PDF written again from corrections, with the checksum it replaced and the
  // one it has, recorded before the new file is renamed into place (`finished_at` NULL until the
  // catalog took its checksum): a fixity check that meets the new file meanwhile, or after a crash
  // between the rename and the catalog, knows it for the rewrite's (core/fixity/verify-library.ts),
  // and the next rewrite run settles it by the file it finds.
  `
  ALTER TABLE documents ADD COLUMN corrections_seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE documents ADD COLUMN pdf_corrections_seq INTEGER NOT NULL DEFAULT 0;
  -- PDFs written before this migration say no page text correction: every corrected document waits.
  UPDATE documents SET corrections_seq = (SELECT MAX(c.id) FROM corrections c WHERE c.document_id = documents.id)
    WHERE id IN (SELECT document_id FROM corrections);
  CREATE INDEX documents_pdf_pending ON documents (id) WHERE corrections_seq > pdf_corrections_seq;

  CREATE TABLE pdf_rewrites (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id     INTEGER NOT NULL,
    output_path     TEXT NOT NULL,            -- relative to the library
    corrections_seq INTEGER NOT NULL,         -- the newest correction the new PDF says
    from_sha256     TEXT NOT NULL,            -- the PDF it replaced, as the catalog recorded it
    from_bytes      INTEGER,
    to_sha256       TEXT NOT NULL,            -- the new PDF
    to_bytes        INTEGER NOT NULL,
    run_id          TEXT,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,                     -- NULL: renamed into place (or about to be), not yet recorded
    outcome         TEXT CHECK (outcome IN ('written', 'abandoned'))
  );
  CREATE INDEX pdf_rewrites_by_document ON pdf_rewrites (document_id);
  CREATE INDEX pdf_rewrites_unsettled ON pdf_rewrites (document_id) WHERE finished_at IS NULL;
  `,
  // 17: the public portal (issue 26). Each document shown to the public gets a random public id once,
  // kept for good (its permanent address; catalog ids are guessable and would count the archive);
  // staff may withhold a document one by one from a public collection or type.
  `
  CREATE TABLE portal_ids (
    document_id  INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    public_id    TEXT NOT NULL UNIQUE,
    assigned_at  TEXT NOT NULL
  );
  CREATE TABLE portal_withheld (
    document_id  INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
    withheld_by  TEXT NOT NULL,
    withheld_at  TEXT NOT NULL,
    reason       TEXT
  );
  `,
  // 18: the coded warnings a conversion gave its original (issue 27: a split that found nothing, a
  // file of separators only), a JSON array on each of its documents, so that a run that skips the
  // unchanged file reports them as the run that converted it did. NULL: none. Not in the effective
  // views: staff do not correct them, and only ingest reads them (documents.ts fileWarnings).
  `
  ALTER TABLE documents ADD COLUMN warnings TEXT;
  `,
];
