/**
 * The knowledge base (issue 21): its screen, the editor and reader, the review actions, the
 * suggestions in the workspace and the create dialog. Spread into each catalogue (en.ts,
 * zhCN.ts, ja.ts, ko.ts), so the key-parity test covers them.
 */
export const kbEn = {
  'action.kbCreate': 'Write article',
  'action.kbEdit': 'Edit article',
  'action.kbReview': 'Review article',
  'action.kbPublish': 'Publish article',
  'action.kbRetire': 'Retire article',
  'action.kbFeedback': 'Rate article',
} as const;

type KbKey = keyof typeof kbEn;

export const kbZhCN: Record<KbKey, string> = {
  'action.kbCreate': '撰写文章',
  'action.kbEdit': '编辑文章',
  'action.kbReview': '审核文章',
  'action.kbPublish': '发布文章',
  'action.kbRetire': '下线文章',
  'action.kbFeedback': '评价文章',
};

export const kbJa: Record<KbKey, string> = {
  'action.kbCreate': '記事を作成',
  'action.kbEdit': '記事を編集',
  'action.kbReview': '記事をレビュー',
  'action.kbPublish': '記事を公開',
  'action.kbRetire': '記事を廃止',
  'action.kbFeedback': '記事を評価',
};

export const kbKo: Record<KbKey, string> = {
  'action.kbCreate': '문서 작성',
  'action.kbEdit': '문서 편집',
  'action.kbReview': '문서 검토',
  'action.kbPublish': '문서 게시',
  'action.kbRetire': '문서 폐기',
  'action.kbFeedback': '문서 평가',
};
