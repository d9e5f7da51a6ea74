/** A key printed on a control; hidden from assistive technology so the control's name stays its label. */
export function Key({ k }: { k: string }) {
  return (
    <span className="key" aria-hidden="true">
      {k}
    </span>
  );
}
