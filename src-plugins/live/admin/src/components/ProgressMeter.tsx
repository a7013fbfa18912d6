import { styled } from 'styled-components';

const Track = styled.div`
  width: 100%;
  height: 0.8rem;
  border-radius: 0.4rem;
  overflow: hidden;
  background: ${({ theme }) => theme.colors.neutral150};
`;

const Fill = styled.div<{ $percent: number; $failed: boolean }>`
  height: 100%;
  width: ${({ $percent }) => $percent}%;
  background: ${({ theme, $failed }) => ($failed ? theme.colors.danger600 : theme.colors.primary600)};
  border-radius: 0.4rem;

  @media (prefers-reduced-motion: no-preference) {
    transition: width 400ms ease-out;
  }
`;

type ProgressMeterProps = {
  /** 0–100. */
  percent: number;
  /** What is progressing ("Uploading lesson-1.mp4"). */
  label: string;
  /** The value in words for assistive technology ("Uploading: 40 %"). */
  valueText?: string;
  failed?: boolean;
};

/**
 * A labelled progress bar drawn for the panel's light cards (the design system's ProgressBar is
 * drawn for dark toasts).
 */
export const ProgressMeter = ({ percent, label, valueText, failed = false }: ProgressMeterProps) => {
  const value = Math.round(Math.min(100, Math.max(0, percent)));
  return (
    <Track role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-valuetext={valueText ?? `${value} %`}>
      <Fill $percent={value} $failed={failed} />
    </Track>
  );
};
