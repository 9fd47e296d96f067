export const nowIso = () => new Date().toISOString();
export const todayIso = () => nowIso().slice(0, 10);
export const addDaysIso = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
