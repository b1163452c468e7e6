import { IDerivation, Document, SourceFromLineItems } from "flow/acmeCo/line-item-totals-ts.ts";

// Totals each line item with its sales tax, in dollars: the TypeScript
// twin of the SQLite derivation acmeCo/line-item-totals.
export class Derivation extends IDerivation {
    fromLineItems(read: { doc: SourceFromLineItems }): Document[] {
        const { id, item, price, sales_tax } = read.doc;
        return [{ id, item, total: `$${((price + sales_tax) / 100).toFixed(2)}` }];
    }
}
