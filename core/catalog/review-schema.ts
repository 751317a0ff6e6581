/**
 * 14: the review queue (issue 25): what the machine was unsure of, listed for archive staff
 * (core/catalog/review-queue.ts; the rules in review-rules.ts). `review_candidates` says, from the
 * effective_* views, what needs a person's eye; `review_items` holds it, kept up to date per
 * document by whatever changes a document (a conversion, a correction, a review decision), so the
 * queue is read through its indexes, never computed over the whole catalog on a request; and
 * `review_counts` keeps how many items there are per collection, box and reason (triggers), so
 * status and the page count without reading the items. `review_decisions` is the archivists'
 * history: accepting what the machine read (with a fingerprint of that reading, so a re-ingest
 * that reads the same keeps it accepted) and reopening, each undone by a new row, as corrections.
 *
 * Like the effective_* views it reads, `review_candidates` must be made again by a migration that
 * rebuilds documents, pages, document_facts or corrections.
 *
 * A date that weighed about as much as the one chosen is a `rival` (core/metadata/dates.ts);
 * facts recorded before this migration have none, so their documents get no several-dates item
 * until converted again.
 */
export const REVIEW_QUEUE_MIGRATION = `
  ALTER TABLE document_facts ADD COLUMN rival INTEGER NOT NULL DEFAULT 0;

  CREATE TABLE review_items (
    document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    page_no     INTEGER NOT NULL,      -- 0: the document; else the page (blank pages counted)
    reason      TEXT NOT NULL,         -- low-confidence, no-date, no-type, several-dates, personal-data
    collection  TEXT NOT NULL,         -- as shown (corrections laid over); '' for none, so keyset paging compares no NULL
    box         TEXT NOT NULL,
    PRIMARY KEY (document_id, page_no, reason)
  ) WITHOUT ROWID;
  -- The queue's order (a box at a time, as archivists work), and the same within one reason.
  CREATE INDEX review_items_in_order ON review_items (collection, box, document_id, page_no, reason);
  CREATE INDEX review_items_by_reason ON review_items (reason, collection, box, document_id, page_no);

  CREATE TABLE review_counts (
    collection TEXT NOT NULL,
    box        TEXT NOT NULL,
    reason     TEXT NOT NULL,
    items      INTEGER NOT NULL,
    PRIMARY KEY (collection, box, reason)
  ) WITHOUT ROWID;
  CREATE TRIGGER review_items_counted AFTER INSERT ON review_items BEGIN
    INSERT INTO review_counts (collection, box, reason, items) VALUES (NEW.collection, NEW.box, NEW.reason, 1)
      ON CONFLICT (collection, box, reason) DO UPDATE SET items = items + 1;
  END;
  CREATE TRIGGER review_items_uncounted AFTER DELETE ON review_items BEGIN
    UPDATE review_counts SET items = items - 1 WHERE collection = OLD.collection AND box = OLD.box AND reason = OLD.reason;
    DELETE FROM review_counts WHERE collection = OLD.collection AND box = OLD.box AND reason = OLD.reason AND items <= 0;
  END;

  CREATE TABLE review_decisions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id   INTEGER NOT NULL,          -- no foreign key, as corrections: kept by original and part through a re-ingest
    source_path   TEXT NOT NULL,
    part_no       INTEGER NOT NULL,
    page_no       INTEGER NOT NULL,
    reason        TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('accept', 'reopen')),
    reading       TEXT,                      -- accept: fingerprint of the machine's reading accepted (no personal number in it)
    author        TEXT NOT NULL,
    at            TEXT NOT NULL,
    supersedes    INTEGER,
    superseded_by INTEGER,
    reverts       INTEGER
  );
  CREATE UNIQUE INDEX review_decisions_current ON review_decisions (document_id, page_no, reason) WHERE superseded_by IS NULL;
  CREATE INDEX review_decisions_by_document ON review_decisions (document_id, id);
  CREATE INDEX review_decisions_by_source ON review_decisions (source_path, part_no);

  -- A field a person set (even to empty) is decided: its item is gone. The confidence under which
  -- a page is listed (85) is review-rules.ts's LOW_CONFIDENCE, and why.
  CREATE VIEW review_candidates AS
    SELECT d.id AS document_id, p.page_no, 'low-confidence' AS reason, IFNULL(d.collection, '') AS collection, IFNULL(d.box, '') AS box
    FROM effective_documents d JOIN pages p ON p.document_id = d.id
    WHERE d.status = 'done' AND d.output_path IS NOT NULL AND p.text_source = 'ocr' AND p.blank = 0 AND IFNULL(p.confidence, 0) < 85
      AND NOT EXISTS (SELECT 1 FROM current_corrections c WHERE c.document_id = d.id AND c.page_no = p.page_no AND c.field = 'text')
    UNION ALL
    SELECT d.id, 0, 'no-date', IFNULL(d.collection, ''), IFNULL(d.box, '') FROM effective_documents d
    WHERE d.status = 'done' AND d.output_path IS NOT NULL AND d.doc_date IS NULL
      AND NOT EXISTS (SELECT 1 FROM current_corrections c WHERE c.document_id = d.id AND c.page_no = 0 AND c.field = 'date')
    UNION ALL
    SELECT d.id, 0, 'no-type', IFNULL(d.collection, ''), IFNULL(d.box, '') FROM effective_documents d
    WHERE d.status = 'done' AND d.output_path IS NOT NULL AND d.document_type IS NULL
      AND NOT EXISTS (SELECT 1 FROM current_corrections c WHERE c.document_id = d.id AND c.page_no = 0 AND c.field = 'documentType')
    UNION ALL
    SELECT d.id, 0, 'several-dates', IFNULL(d.collection, ''), IFNULL(d.box, '') FROM effective_documents d
    WHERE d.status = 'done' AND d.output_path IS NOT NULL
      AND EXISTS (SELECT 1 FROM document_facts f WHERE f.document_id = d.id AND f.kind = 'date' AND f.rival = 1)
      AND NOT EXISTS (SELECT 1 FROM current_corrections c WHERE c.document_id = d.id AND c.page_no = 0 AND c.field = 'date')
    UNION ALL
    SELECT d.id, 0, 'personal-data', IFNULL(d.collection, ''), IFNULL(d.box, '') FROM effective_documents d
    WHERE d.status = 'done' AND d.output_path IS NOT NULL AND d.personal_data = 1;

  INSERT INTO review_items (document_id, page_no, reason, collection, box) SELECT document_id, page_no, reason, collection, box FROM review_candidates;
  `;
