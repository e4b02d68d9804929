// Battle map wording.
export default {
  menu: { map: 'Battle map' },
  map: {
    title: 'Battle map',
    hint: 'Every item laid out by zone and coloured by its light; click an item to open it. No internet map needed.',
    noZone: 'No zone',
    sizeBy: 'Block size',
    byCount: 'By count',
    byInvestment: 'By annual planned investment',
    items: '{n} items',
    leader: 'Leader',
    unit: 'Lead unit',
    investment: 'Annual plan {plan} (10k yuan), completed {done}',
    reasons: 'Reasons',
    legend: 'Legend',
  },
}
