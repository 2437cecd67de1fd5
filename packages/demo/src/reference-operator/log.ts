/** The operator's logger: one function, so the demo can keep its terminal to the summary line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Log = (level: LogLevel, message: string) => void;

export const silentLog: Log = () => {};
