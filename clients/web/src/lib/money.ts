/** Money as the API sends it: minor units (cents) and an ISO 4217 code. */
export interface Money {
  amount: number;
  currency: string;
}

export function formatMoney(money: Money): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: money.currency }).format(money.amount / 100);
}
