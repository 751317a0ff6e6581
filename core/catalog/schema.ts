/**
 * The catalog's schema, as numbered migrations. `PRAGMA user_version` records how far a catalog
 * has come; opening an older one brings it up to date, a newer one is refused.
 */

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
];
