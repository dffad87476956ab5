/**
 * A Chinese service-desk history for the classifier's tests (issue 21, acceptance 2): tickets
 * in six categories written from realistic phrases, with shared openings, people, places and
 * closings as noise, and some phrases that belong to two categories (a printer's network, an
 * account's mailbox), so the task is not a lookup. Deterministic for a seed.
 */

export interface LabelledTicket {
  title: string;
  description: string;
  category: string;
  module: string;
}

const CATEGORIES: Record<string, { modules: Record<string, string[]>; weight: number }> = {
  网络: {
    weight: 5,
    modules: {
      VPN: ['VPN连接不上', 'VPN每隔一小时就断开', '在家用VPN访问内网很慢', 'VPN客户端提示证书过期'],
      无线: [
        '无线网络连不上',
        'WiFi信号很弱经常掉线',
        '会议室的无线网络认证失败',
        '笔记本搜不到公司WiFi',
      ],
      有线: [
        '网口没有反应',
        '网速特别慢打开网页要很久',
        '交换机端口指示灯不亮',
        'IP地址冲突上不了网',
      ],
    },
  },
  硬件: {
    weight: 4,
    modules: {
      打印机: [
        '打印机卡纸',
        '打印出来的文件有黑条',
        '网络打印机找不到',
        '打印机显示缺墨但刚换过硒鼓',
      ],
      电脑: ['电脑开不了机', '笔记本电池鼓包', '主机风扇噪音很大', '电脑频繁蓝屏重启'],
      外设: ['显示器黑屏没有信号', '键盘部分按键失灵', '鼠标间歇性不动', '扩展坞接上以后屏幕不亮'],
    },
  },
  账号权限: {
    weight: 4,
    modules: {
      密码: ['忘记密码需要重置', '密码过期无法登录', '修改密码后手机邮箱同步失败', '密码输错多次'],
      锁定: [
        '账号被锁定了',
        '域账号登录提示已被禁用',
        '连续输错密码账号锁住',
        '新员工账号无法登录',
      ],
      权限: [
        '申请共享文件夹的访问权限',
        '需要开通财务系统的权限',
        '离职人员权限回收',
        '申请管理员权限安装驱动',
      ],
    },
  },
  邮件: {
    weight: 3,
    modules: {
      收发: [
        'Outlook收不到邮件',
        '发出去的邮件被退回',
        '外部邮件进了垃圾箱',
        '邮件发送一直卡在发件箱',
      ],
      邮箱: ['邮箱容量已满', '申请部门公共邮箱', '邮箱签名设置不了', '手机上无法添加公司邮箱'],
    },
  },
  软件: {
    weight: 3,
    modules: {
      办公: ['Excel打开文件就崩溃', 'Word文档乱码', 'PPT无法播放视频', 'WPS激活失败'],
      安装: [
        '需要安装绘图软件',
        '软件安装提示缺少组件',
        '系统更新失败反复回滚',
        '杀毒软件误删了文件',
      ],
    },
  },
  存储: {
    weight: 2,
    modules: {
      共享盘: [
        '共享盘无法访问',
        '共享盘里的文件被误删需要恢复',
        '映射网络驱动器失败',
        'NAS访问速度很慢',
      ],
      备份: ['备份任务失败', '磁盘空间不足', '服务器硬盘告警', '数据库备份文件太大'],
    },
  },
};

const OPENINGS = ['您好，', '你好，', '麻烦看一下，', '紧急：', '', '同事反馈：', '早上好，'];
const WHO = [
  '我',
  '财务部的小王',
  '销售部张经理',
  '人事部同事',
  '三楼前台',
  '研发部李工',
  '新来的实习生',
];
const WHEN = [
  '今天早上开始',
  '从昨天下午起',
  '刚才',
  '这周一直',
  '重启以后',
  '升级之后',
  '上周五开始',
];
const EXTRA = [
  '重启过了还是不行',
  '影响正常工作',
  '别的同事也有这个问题',
  '之前报过一次没解决',
  '客户那边在等',
  '截图已经发群里了',
  '',
  '',
];
const CLOSINGS = ['谢谢！', '麻烦尽快处理。', '辛苦了。', '在线等。', '', '请回电话。'];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `n` labelled tickets; categories drawn by weight (网络 the largest, about a quarter). */
export function chineseTickets(n: number, seed: number): LabelledTicket[] {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = Object.keys(CATEGORIES);
  const total = names.reduce((s, c) => s + (CATEGORIES[c]?.weight ?? 0), 0);
  const out: LabelledTicket[] = [];
  for (let i = 0; i < n; i++) {
    let r = random() * total;
    let category = names[0] as string;
    for (const c of names) {
      r -= CATEGORIES[c]?.weight ?? 0;
      if (r < 0) {
        category = c;
        break;
      }
    }
    const modules = CATEGORIES[category]?.modules ?? {};
    const module = pick(Object.keys(modules));
    const problem = pick(modules[module] ?? []);
    // One ticket in six also names a symptom of another category (noise a model must weigh).
    const other =
      random() < 1 / 6 ? pick(Object.values(CATEGORIES[pick(names)]?.modules ?? {}).flat()) : '';
    const description = [
      pick(OPENINGS),
      `${pick(WHO)}${pick(WHEN)}${problem}`,
      other ? `，另外${other}` : '',
      `，${pick(EXTRA)}`,
      pick(CLOSINGS),
    ].join('');
    out.push({ title: random() < 0.5 ? problem : '', description, category, module });
  }
  return out;
}
