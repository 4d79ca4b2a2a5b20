// Small line icons (inline SVG in currentColor: crisp in both themes, no emoji font needed).
import type { ReactNode } from "react";

function Svg({ children, size = 18 }: { children: ReactNode; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      {children}
    </svg>
  );
}

export const MenuIcon = () => (
  <Svg>
    <path d="M4 6h16M4 12h16M4 18h16" />
  </Svg>
);
export const MembersIcon = () => (
  <Svg>
    <circle cx="9" cy="8" r="3.5" />
    <path d="M2.5 20c.6-3.6 3.3-6 6.5-6s5.9 2.4 6.5 6" />
    <path d="M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.4c2 .8 3.2 2.9 3.5 5.6" />
  </Svg>
);
export const PinIcon = () => (
  <Svg>
    <path d="M9 3h6l-1 6 4 4H6l4-4-1-6zM12 13v8" />
  </Svg>
);
export const BookmarkIcon = () => (
  <Svg>
    <path d="M6 3h12v18l-6-4.5L6 21z" />
  </Svg>
);
export const SearchIcon = ({ size }: { size?: number }) => (
  <Svg size={size}>
    <circle cx="11" cy="11" r="6.5" />
    <path d="M16 16l5 5" />
  </Svg>
);
export const ListIcon = ({ size }: { size?: number }) => (
  <Svg size={size}>
    <path d="M8 6h13M8 12h13M8 18h13M3.5 6h.01M3.5 12h.01M3.5 18h.01" />
  </Svg>
);
export const KeyboardIcon = () => (
  <Svg>
    <rect x="2.5" y="6" width="19" height="12" rx="2" />
    <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
  </Svg>
);
export const ThreadsIcon = ({ size }: { size?: number }) => (
  <Svg size={size}>
    <path d="M4 5h16v10H9l-5 4z" />
    <path d="M8 9h8M8 12h5" />
  </Svg>
);
