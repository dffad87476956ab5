/**
 * China's official holiday calendar for 2026, copied verbatim from NateScarlet/holiday-cn
 * (`2026.json`, MIT licence, see ./LICENSE).
 */
export const holidayCn2026 = {
  $schema: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json',
  $id: 'https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2026.json',
  year: 2026,
  papers: ['https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm'],
  days: [
    {
      name: '元旦',
      date: '2026-01-01',
      isOffDay: true,
    },
    {
      name: '元旦',
      date: '2026-01-02',
      isOffDay: true,
    },
    {
      name: '元旦',
      date: '2026-01-03',
      isOffDay: true,
    },
    {
      name: '元旦',
      date: '2026-01-04',
      isOffDay: false,
    },
    {
      name: '春节',
      date: '2026-02-14',
      isOffDay: false,
    },
    {
      name: '春节',
      date: '2026-02-15',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-16',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-17',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-18',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-19',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-20',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-21',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-22',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-23',
      isOffDay: true,
    },
    {
      name: '春节',
      date: '2026-02-28',
      isOffDay: false,
    },
    {
      name: '清明节',
      date: '2026-04-04',
      isOffDay: true,
    },
    {
      name: '清明节',
      date: '2026-04-05',
      isOffDay: true,
    },
    {
      name: '清明节',
      date: '2026-04-06',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-01',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-02',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-03',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-04',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-05',
      isOffDay: true,
    },
    {
      name: '劳动节',
      date: '2026-05-09',
      isOffDay: false,
    },
    {
      name: '端午节',
      date: '2026-06-19',
      isOffDay: true,
    },
    {
      name: '端午节',
      date: '2026-06-20',
      isOffDay: true,
    },
    {
      name: '端午节',
      date: '2026-06-21',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-09-20',
      isOffDay: false,
    },
    {
      name: '中秋节',
      date: '2026-09-25',
      isOffDay: true,
    },
    {
      name: '中秋节',
      date: '2026-09-26',
      isOffDay: true,
    },
    {
      name: '中秋节',
      date: '2026-09-27',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-01',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-02',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-03',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-04',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-05',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-06',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-07',
      isOffDay: true,
    },
    {
      name: '国庆节',
      date: '2026-10-10',
      isOffDay: false,
    },
  ],
};
