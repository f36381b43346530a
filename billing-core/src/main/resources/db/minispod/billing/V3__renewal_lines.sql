-- A renewal charges each period after the first as a line of its own type, RENEWAL, which counts
-- as a payment for its period wherever a CHARGE does (proration, refunds, revenue).
ALTER TABLE minispod_billing.ledger_line DROP CONSTRAINT ledger_line_type_known;
ALTER TABLE minispod_billing.ledger_line ADD CONSTRAINT ledger_line_type_known
    CHECK (line_type IN ('CHARGE', 'RENEWAL', 'PRORATION_CREDIT', 'PRORATION_CHARGE', 'REFUND'));
ALTER TABLE minispod_billing.ledger_line DROP CONSTRAINT ledger_line_amount_sign;
ALTER TABLE minispod_billing.ledger_line ADD CONSTRAINT ledger_line_amount_sign CHECK (
    (line_type IN ('CHARGE', 'RENEWAL', 'PRORATION_CHARGE') AND amount >= 0)
    OR (line_type IN ('PRORATION_CREDIT', 'REFUND') AND amount <= 0));
