/**
 * Problem management (issue 22, decision 58): the problems list, the problem workspace (5-Why,
 * root cause, actions, linked tickets, confirmation, fault report) and its change requests.
 * Spread into each catalogue (en.ts, zhCN.ts, ja.ts, ko.ts), so the key-parity test covers them.
 */
export const problemsEn = {
  'action.problemCreate': 'Raise problem',
  'action.problemUpdate': 'Edit problem',
  'action.problemActionSave': 'Save corrective action',
  'action.problemConfirm': 'Confirm problem solved',
  'action.problemClose': 'Close problem',
  'action.problemReport': 'Send fault report',
  'action.changeCreate': 'Request change',
  'action.changeDecide': 'Decide change',
  'action.changeDone': 'Complete change',
};

export type ProblemsKey = keyof typeof problemsEn;

export const problemsZhCN: Record<ProblemsKey, string> = {
  'action.problemCreate': '创建问题',
  'action.problemUpdate': '编辑问题',
  'action.problemActionSave': '保存纠正措施',
  'action.problemConfirm': '确认问题已解决',
  'action.problemClose': '关闭问题',
  'action.problemReport': '发送故障分析报告',
  'action.changeCreate': '提交变更申请',
  'action.changeDecide': '审批变更',
  'action.changeDone': '完成变更',
};

export const problemsJa: Record<ProblemsKey, string> = {
  'action.problemCreate': '問題を起票',
  'action.problemUpdate': '問題を編集',
  'action.problemActionSave': '是正措置を保存',
  'action.problemConfirm': '問題の解決を確認',
  'action.problemClose': '問題をクローズ',
  'action.problemReport': '障害分析報告を送信',
  'action.changeCreate': '変更を申請',
  'action.changeDecide': '変更を承認/却下',
  'action.changeDone': '変更を完了',
};

export const problemsKo: Record<ProblemsKey, string> = {
  'action.problemCreate': '문제 등록',
  'action.problemUpdate': '문제 편집',
  'action.problemActionSave': '시정 조치 저장',
  'action.problemConfirm': '문제 해결 확인',
  'action.problemClose': '문제 종료',
  'action.problemReport': '장애 분석 보고서 발송',
  'action.changeCreate': '변경 요청',
  'action.changeDecide': '변경 승인/반려',
  'action.changeDone': '변경 완료',
};
