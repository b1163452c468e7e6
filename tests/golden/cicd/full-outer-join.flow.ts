import {
    IDerivation,
    Document,
    SourceFromCustomers,
    SourceFromOrders,
} from "flow/acmeCo/customers-with-orders.ts";

// Joins customers and their orders. Documents of one customer are reduced
// by the collection schema's `merge` annotations, so each lambda publishes
// only what it knows.
export class Derivation extends IDerivation {
    fromOrders(read: { doc: SourceFromOrders }): Document[] {
        const { customer_id, order_id } = read.doc;
        return [{ customer_id, orders: [{ order_id }] }];
    }

    fromCustomers(read: { doc: SourceFromCustomers }): Document[] {
        const { customer_id, name } = read.doc;
        return [{ customer_id, name }];
    }
}
