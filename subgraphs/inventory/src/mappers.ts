// GraphQL types backed by Prisma rows or small values (codegen `mappers`): resolvers return these,
// field resolvers shape them.
import type { ReservationStatus, StockLevel, StockReservation, Warehouse } from '../generated/prisma/client.ts';
import type { Money } from './shipping.ts';

export type WarehouseMapper = Warehouse;
export type StockLevelMapper = StockLevel;

// Catalog owns products: here a product is its key, plus the catalog fields the router sends with
// the representation when `shippingEstimate` (`@requires(fields: "weight price { … }")`) is asked.
export type ProductMapper = { id: string; weight?: number | null; price?: Money | null };

/** One order's reservation: its rows (one per product and warehouse) and their shared status. */
export type ReservationMapper = { orderId: string; status: ReservationStatus; rows: StockReservation[] };
export type ReservedItemMapper = StockReservation;
