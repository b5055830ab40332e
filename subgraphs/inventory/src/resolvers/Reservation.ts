import type { ReservationResolvers } from '../resolvers-types.generated.ts';

export const Reservation: ReservationResolvers = {
  items: (reservation) => reservation.rows,
};
