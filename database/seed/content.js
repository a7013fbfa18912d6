'use strict';

/**
 * The demo catalog and accounts the seed (./index.js) creates. Plain data: change the
 * text freely, but keep slugs and emails stable — tests and the site refer to them.
 *
 * Every lesson body starts with its own `intro` paragraph, written once for that lesson:
 * the API tests look for a locked lesson's first sentence in public responses, so no
 * intro may repeat another lesson's or appear in a course description.
 */

/** @typedef {'video' | 'article' | 'live' | 'quiz'} LessonType */
/**
 * @typedef {object} LessonSpec
 * @property {string} title
 * @property {LessonType} type
 * @property {number} [minutes]    duration in minutes, stored in seconds (not for video lessons: their length is their clip's, see ./media)
 * @property {boolean} [preview]   readable without enrolling
 * @property {string} intro        first paragraph, unique to this lesson
 * @property {string[]} points     key ideas (quiz: the questions)
 * @property {string} [code]       an optional code block
 */
/** @typedef {{ title: string, lessons: LessonSpec[] }} ModuleSpec */
/**
 * @typedef {object} CourseSpec
 * @property {string} slug
 * @property {string} title
 * @property {string} summary
 * @property {string} category            category slug
 * @property {'beginner' | 'intermediate' | 'advanced'} level
 * @property {string} language
 * @property {number} price               in paise (0 for free courses)
 * @property {string[]} instructors       instructor slugs
 * @property {string | null} cover        file name in ./covers
 * @property {string} codeLanguage        language of the course's code blocks (shell commands are detected)
 * @property {{ intro: string, outcomes: string[], audience: string, code?: string }} description
 * @property {ModuleSpec[]} modules
 */

// Demo-only passwords. They satisfy Strapi's admin rule (≥ 8 characters, upper, lower, digit).
const PASSWORDS = Object.freeze({
  admin: 'Skillyug@Admin1',
  editor: 'Skillyug@Editor1',
  mentor: 'Skillyug@Mentor1',
  student: 'Skillyug@Student1',
});

const SUPER_ADMIN = { email: 'admin@skillyug.local', firstname: 'Skillyug', lastname: 'Admin' };

/** A content editor (Strapi's Editor role): authors and publishes the catalog, reads enrollments. */
const EDITOR = { email: 'editor@skillyug.local', firstname: 'Meera', lastname: 'Iyer' };

const MENTORS = [
  {
    email: 'ananya.rao@skillyug.local',
    firstname: 'Ananya',
    lastname: 'Rao',
    instructor: {
      name: 'Ananya Rao',
      slug: 'ananya-rao',
      avatar: 'avatar-ananya-rao.png',
      bio:
        'Ananya is a senior frontend engineer from Bengaluru with nine years of building payment and ' +
        'e-commerce interfaces used by millions of UPI customers. She has mentored more than 20,000 ' +
        'learners in JavaScript, React and Node.js, and runs weekend doubt-clearing sessions in English ' +
        'and Kannada.',
    },
  },
  {
    email: 'vikram.nair@skillyug.local',
    firstname: 'Vikram',
    lastname: 'Nair',
    instructor: {
      name: 'Vikram Nair',
      slug: 'vikram-nair',
      avatar: 'avatar-vikram-nair.png',
      bio:
        'Vikram is a data scientist from Kochi and an IIT Madras alumnus. He led the analytics team at a ' +
        'Pune fintech before turning to teaching full time, and likes to explain statistics with IPL ' +
        'scorecards. He has helped hundreds of students crack product-company placement rounds.',
    },
  },
];

const STUDENTS = [
  { username: 'aarav.patel', email: 'aarav.patel@skillyug.local', displayName: 'Aarav Patel' },
  { username: 'diya.menon', email: 'diya.menon@skillyug.local', displayName: 'Diya Menon' },
  { username: 'kabir.singh', email: 'kabir.singh@skillyug.local', displayName: 'Kabir Singh' },
];

const CATEGORIES = [
  { name: 'Web Development', slug: 'web-development' },
  { name: 'Programming Fundamentals', slug: 'programming-fundamentals' },
  { name: 'Data Science & AI', slug: 'data-science-ai' },
  { name: 'Cloud & DevOps', slug: 'cloud-devops' },
];

/** @type {CourseSpec[]} The published catalog. */
const COURSES = [
  {
    slug: 'javascript-foundations',
    title: 'JavaScript Foundations',
    summary:
      'Start coding from zero: variables, functions, arrays, objects and the DOM, with small projects you can show in your first internship interview.',
    category: 'web-development',
    level: 'beginner',
    language: 'English',
    price: 0,
    instructors: ['ananya-rao'],
    cover: 'javascript-foundations.png',
    codeLanguage: 'javascript',
    description: {
      intro:
        'JavaScript runs every website you use, from IRCTC bookings to your college results portal. This free course takes you from your very first line of code to building interactive pages, at a pace that works alongside college or a full-time job.',
      outcomes: [
        'Write clean modern JavaScript (ES2023) with let, const, arrow functions and modules',
        'Work confidently with arrays and objects using map, filter and reduce',
        'Make web pages interactive by handling events and updating the DOM',
        'Build and deploy a small expense-tracker project for your portfolio',
      ],
      audience:
        'Complete beginners, first-year engineering and BCA students, and anyone switching careers into tech. All you need is a laptop and a browser.',
    },
    modules: [
      {
        title: 'Getting started',
        lessons: [
          {
            title: 'Why JavaScript, and setting up VS Code',
            type: 'video',
            preview: true,
            intro:
              'In this opening lesson we install Node.js and VS Code, and run a first program that greets you by name in the terminal.',
            points: ['Where JavaScript runs: the browser and Node.js', 'Installing VS Code and useful extensions', 'Running a script with node'],
            code: 'node --version\nnode hello.js',
          },
          {
            title: 'Variables, types and operators',
            type: 'video',
            intro:
              'Learn how let and const differ, why var is best avoided, and how JavaScript decides whether "5" + 5 is 55 or 10.',
            points: ['let vs const, and block scope', 'Strings, numbers, booleans, null and undefined', 'Strict equality with ===', 'Template literals'],
            code: "const name = 'Priya';\nlet marks = 87;\nconsole.log(`${name} scored ${marks}%`);",
          },
          {
            title: 'Making decisions with if and switch',
            type: 'article',
            minutes: 12,
            intro:
              'Programs become useful when they react to input; here we grade exam marks into divisions using if, else if and switch.',
            points: ['Truthy and falsy values', 'if / else if / else chains', 'switch with fall-through', 'The conditional (ternary) operator'],
          },
        ],
      },
      {
        title: 'Functions, arrays and objects',
        lessons: [
          {
            title: 'Functions and arrow functions',
            type: 'video',
            intro:
              'We write a GST calculator three ways — a function declaration, a function expression and an arrow function — and compare them.',
            points: ['Parameters, default values and return', 'Arrow function shorthand', 'Functions as values'],
            code: 'const withGst = (amount, rate = 0.18) => Math.round(amount * (1 + rate));\nconsole.log(withGst(499)); // 589',
          },
          {
            title: 'Arrays: map, filter and reduce',
            type: 'article',
            minutes: 20,
            intro:
              'Using a list of UPI transactions as sample data, this lesson shows how to transform, select and total records without a single for loop.',
            points: ['map to transform every item', 'filter to keep matching items', 'reduce to compute a total', 'Chaining array methods'],
            code: 'const spent = txns\n  .filter((t) => t.type === "debit")\n  .reduce((sum, t) => sum + t.amount, 0);',
          },
          {
            title: 'Check your basics',
            type: 'quiz',
            minutes: 10,
            intro:
              'Ten quick questions on variables, conditions, functions and arrays to check you are ready for the DOM module.',
            points: [
              'What does typeof null return, and why is it surprising?',
              'When would you choose const over let?',
              'What is the result of [1, 2, 3].map((n) => n * 2)?',
            ],
          },
        ],
      },
      {
        title: 'The DOM and your first project',
        lessons: [
          {
            title: 'Selecting and changing elements',
            type: 'video',
            intro:
              'querySelector, textContent and classList are the three tools you will use most to change what is on the page; we try each on a live HTML file.',
            points: ['Finding elements with querySelector', 'Changing text and attributes safely', 'Adding and removing CSS classes'],
          },
          {
            title: 'Events and the expense tracker project',
            type: 'video',
            intro:
              'Put everything together by building an expense tracker that stores entries in localStorage and shows a running monthly total in rupees.',
            points: ['addEventListener and the event object', 'Handling form submissions', 'Saving data with localStorage', 'Formatting ₹ amounts with Intl.NumberFormat'],
            code: "new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR' }).format(125000);\n// '₹1,25,000.00'",
          },
        ],
      },
    ],
  },
  {
    slug: 'react-for-beginners',
    title: 'React for Beginners',
    summary:
      'Build modern user interfaces with React 19: components, props, state, hooks and data fetching, ending with a food-ordering app.',
    category: 'web-development',
    level: 'beginner',
    language: 'English',
    price: 49900,
    instructors: ['ananya-rao'],
    cover: 'react-for-beginners.png',
    codeLanguage: 'jsx',
    description: {
      intro:
        'React is the most requested frontend skill in Indian job listings, from Bengaluru start-ups to global capability centres in Hyderabad. This course teaches it the way teams use it today: function components, hooks and a Vite toolchain.',
      outcomes: [
        'Think in components and pass data with props',
        'Manage state with useState and side effects with useEffect',
        'Fetch data from a REST API and handle loading and errors',
        'Ship a food-ordering app with a cart to Netlify or Vercel',
      ],
      audience:
        'Learners who know JavaScript basics (our free JavaScript Foundations course is enough) and want their first frontend role.',
      code: 'npm create vite@latest my-app -- --template react\ncd my-app && npm install && npm run dev',
    },
    modules: [
      {
        title: 'Thinking in components',
        lessons: [
          {
            title: 'What React solves',
            type: 'video',
            preview: true,
            intro:
              'Before writing any React, we look at a page built with plain DOM code and see why keeping it in sync by hand gets painful as it grows.',
            points: ['Declarative vs imperative UI', 'The virtual DOM in one picture', 'Creating a project with Vite'],
          },
          {
            title: 'JSX and components',
            type: 'video',
            intro:
              'JSX looks like HTML but compiles to function calls; this lesson covers its rules and splits a restaurant menu page into small reusable components.',
            points: ['JSX expressions and attributes', 'Writing a function component', 'Rendering lists with key'],
            code: 'function DishCard({ name, price }) {\n  return <li>{name} — ₹{price}</li>;\n}',
          },
          {
            title: 'Props and composition',
            type: 'article',
            minutes: 14,
            intro:
              'Props let a parent configure its children; we build a Card and a Badge component and compose them into a restaurant listing.',
            points: ['Passing and destructuring props', 'The children prop', 'Keeping components pure'],
          },
        ],
      },
      {
        title: 'State and hooks',
        lessons: [
          {
            title: 'useState and events',
            type: 'video',
            intro:
              'A quantity selector for the cart introduces useState, shows why state updates are asynchronous, and explains the updater-function form.',
            points: ['Declaring state with useState', 'Handling clicks and inputs', 'Updating objects and arrays immutably'],
            code: 'const [qty, setQty] = useState(1);\n<button onClick={() => setQty((q) => q + 1)}>+</button>',
          },
          {
            title: 'useEffect and fetching data',
            type: 'video',
            intro:
              'We load the menu from a JSON API with fetch inside useEffect, add a loading spinner, and handle the network failing on a slow 3G connection.',
            points: ['When effects run', 'Cleaning up with the return function', 'Loading and error states'],
          },
          {
            title: 'Live build: the food-ordering cart',
            type: 'live',
            minutes: 60,
            intro:
              'In this live class Ananya builds the cart and checkout summary together with the batch, taking questions as she codes.',
            points: ['Lifting state up to share the cart', 'Computing totals with useMemo', 'Q&A on your project doubts'],
          },
          {
            title: 'Hooks quiz',
            type: 'quiz',
            minutes: 8,
            intro:
              'Eight questions on state, effects and rendering rules to lock in what you learned this module.',
            points: [
              'Why must hooks be called in the same order on every render?',
              'What happens if you leave out the dependency array of useEffect?',
              'Why should you not mutate state directly?',
            ],
          },
        ],
      },
    ],
  },
  {
    slug: 'python-for-everyone',
    title: 'Python for Everyone',
    summary:
      'A friendly, free introduction to programming with Python, taught in Hinglish: from print() to files and small automation scripts.',
    category: 'programming-fundamentals',
    level: 'beginner',
    language: 'Hinglish',
    price: 0,
    instructors: ['vikram-nair'],
    cover: 'python-for-everyone.png',
    codeLanguage: 'python',
    description: {
      intro:
        'Python is the easiest first language and the gateway to data science, automation and AI. Vikram explains every idea in simple Hinglish with examples from daily life — splitting a restaurant bill, tracking cricket scores, renaming hundreds of photos at once.',
      outcomes: [
        'Write Python programs with variables, loops and functions',
        'Use lists, dictionaries and sets to organise data',
        'Read and write CSV files',
        'Automate a boring task with a script of your own',
      ],
      audience: 'School and college students, and working professionals with no coding background.',
      code: 'python3 -m venv .venv\nsource .venv/bin/activate\npython hello.py',
    },
    modules: [
      {
        title: 'First steps',
        lessons: [
          {
            title: 'Installing Python and your first program',
            type: 'video',
            preview: true,
            intro:
              'We install Python 3.12 on Windows and macOS, open IDLE, and write a program that splits a dinner bill equally among friends.',
            points: ['Installing Python and checking the version', 'print() and input()', 'Running a .py file'],
            code: "total = float(input('Bill amount: '))\nfriends = int(input('How many friends? '))\nprint(f'Each pays ₹{total / friends:.2f}')",
          },
          {
            title: 'Loops with for and while',
            type: 'video',
            intro:
              'Loops repeat work for you: we print a multiplication table, then count the boundaries in an over-by-over cricket scorecard.',
            points: ['for loops and range()', 'while loops and break', 'Nested loops'],
          },
          {
            title: 'Functions',
            type: 'article',
            minutes: 13,
            intro:
              'Functions give a name to a piece of logic; this reading builds a reusable simple-interest calculator and explains arguments and return values.',
            points: ['def, parameters and return', 'Default and keyword arguments', 'Docstrings'],
            code: 'def simple_interest(principal, rate, years=1):\n    """Interest in rupees."""\n    return principal * rate * years / 100',
          },
        ],
      },
      {
        title: 'Working with data',
        lessons: [
          {
            title: 'Lists, dictionaries and sets',
            type: 'video',
            intro:
              'A class attendance register becomes our playground for storing, looking up and de-duplicating data with Python’s built-in collections.',
            points: ['Indexing and slicing lists', 'Dictionary lookups and .get()', 'Sets for unique values'],
          },
          {
            title: 'Reading and writing CSV files',
            type: 'article',
            minutes: 15,
            intro:
              'Using a CSV export of monthly electricity bills, you will read rows with the csv module, total them and write a summary file.',
            points: ['Opening files with with-blocks', 'csv.DictReader and DictWriter', 'Handling missing values'],
          },
          {
            title: 'Python basics quiz',
            type: 'quiz',
            minutes: 10,
            intro:
              'Test yourself on loops, functions and collections before you start your own automation script.',
            points: [
              'What is the difference between a list and a tuple?',
              'What does range(2, 10, 3) produce?',
              'How do you safely read a key that may be missing from a dictionary?',
            ],
          },
        ],
      },
    ],
  },
  {
    slug: 'dsa-placement-prep',
    title: 'Data Structures & Algorithms for Placements',
    summary:
      'Crack campus and off-campus coding rounds: arrays, hashing, recursion, trees, graphs and dynamic programming, with 150 curated problems.',
    category: 'programming-fundamentals',
    level: 'intermediate',
    language: 'English',
    price: 129900,
    instructors: ['vikram-nair', 'ananya-rao'],
    cover: 'dsa-placement-prep.png',
    codeLanguage: 'cpp',
    description: {
      intro:
        'Most product companies in India — and every service company’s higher tiers — test DSA in their first round. This course follows the patterns those rounds actually use, with solutions explained in Java, C++ and Python and a weekly live mock interview.',
      outcomes: [
        'Analyse time and space complexity with Big-O',
        'Recognise common patterns: two pointers, sliding window, binary search on answers',
        'Solve tree and graph problems with BFS and DFS',
        'Approach dynamic programming problems step by step',
      ],
      audience:
        'Pre-final and final-year B.Tech/MCA students preparing for placements, and developers preparing to switch jobs.',
    },
    modules: [
      {
        title: 'Complexity and arrays',
        lessons: [
          {
            title: 'Big-O without the fear',
            type: 'video',
            preview: true,
            intro:
              'Big-O describes how an algorithm’s work grows with its input; we time three ways of finding a duplicate roll number to see it happen.',
            points: ['Counting operations', 'O(1), O(log n), O(n), O(n log n), O(n²)', 'Space complexity'],
          },
          {
            title: 'Two pointers and sliding window',
            type: 'video',
            intro:
              'Two of the most frequent interview patterns, applied to pair-sum and longest-substring problems that appear in TCS Digital and Amazon rounds.',
            points: ['Opposite-end pointers on a sorted array', 'Fixed and variable windows', 'When the pattern does not apply'],
            code: 'int lo = 0, hi = n - 1;\nwhile (lo < hi) {\n  int s = a[lo] + a[hi];\n  if (s == target) return true;\n  if (s < target) lo++; else hi--;\n}',
          },
          {
            title: 'Hashing patterns',
            type: 'article',
            minutes: 16,
            intro:
              'Hash maps trade memory for speed; this reading collects the frequency-count and prefix-sum tricks that turn O(n²) brute force into O(n).',
            points: ['Frequency maps', 'Prefix sums with a hash map', 'Handling collisions conceptually'],
          },
        ],
      },
      {
        title: 'Recursion, trees and graphs',
        lessons: [
          {
            title: 'Recursion and backtracking',
            type: 'video',
            intro:
              'We draw the recursion tree for generating all subsets, then prune it to solve the N-Queens problem within time limits.',
            points: ['Base case and recursive case', 'The call stack', 'Backtracking with choose / explore / un-choose'],
          },
          {
            title: 'Binary trees and BFS/DFS',
            type: 'video',
            intro:
              'Level-order traversal, diameter and lowest common ancestor are worked through on a whiteboard and then coded in all three languages.',
            points: ['Tree traversals', 'BFS with a queue', 'DFS with recursion and an explicit stack'],
          },
          {
            title: 'Graphs: shortest paths',
            type: 'article',
            minutes: 18,
            intro:
              'A metro map of Delhi makes a natural weighted graph: we model it as an adjacency list and find the quickest route with Dijkstra’s algorithm.',
            points: ['Adjacency lists', 'BFS for unweighted graphs', 'Dijkstra with a priority queue'],
          },
        ],
      },
      {
        title: 'Dynamic programming and mock interviews',
        lessons: [
          {
            title: 'Dynamic programming, step by step',
            type: 'video',
            intro:
              'Starting from a plain recursive solution to the coin-change problem, we add memoisation and then convert it to a bottom-up table.',
            points: ['Overlapping subproblems', 'Memoisation vs tabulation', 'Classic 1-D and 2-D DP problems'],
          },
          {
            title: 'Live mock interview',
            type: 'live',
            minutes: 90,
            intro:
              'Every Sunday evening two volunteers from the batch take a 45-minute mock coding interview while everyone else watches and scores them.',
            points: ['Clarifying the problem before coding', 'Thinking aloud', 'Feedback on communication and code quality'],
          },
          {
            title: 'Final placement quiz',
            type: 'quiz',
            minutes: 20,
            intro:
              'Fifteen mixed questions modelled on online assessment rounds, with a 20-minute timer to practise under pressure.',
            points: [
              'What is the time complexity of binary search on a sorted array of n items?',
              'Which traversal gives the nodes of a BST in sorted order?',
              'When is a greedy choice safe instead of dynamic programming?',
            ],
          },
        ],
      },
    ],
  },
  {
    slug: 'node-express-rest-apis',
    title: 'Node.js & Express: Build REST APIs',
    summary:
      'Design, build and secure production-style REST APIs with Node.js 20, Express, PostgreSQL and JWT authentication.',
    category: 'web-development',
    level: 'intermediate',
    language: 'English',
    price: 129900,
    instructors: ['ananya-rao'],
    cover: 'node-express-rest-apis.png',
    codeLanguage: 'javascript',
    description: {
      intro:
        'Backend skills turn a frontend developer into a full-stack one. In this course you build the API behind a bus-ticket booking app — routes, validation, a PostgreSQL database, authentication and tests — and deploy it.',
      outcomes: [
        'Structure an Express application with routers, controllers and middleware',
        'Validate input and return consistent error responses',
        'Store data in PostgreSQL with SQL migrations',
        'Authenticate users with hashed passwords and JWTs',
      ],
      audience: 'Developers comfortable with JavaScript who want to build and own the server side.',
      code: 'mkdir bus-api && cd bus-api\nnpm init -y\nnpm install express pg zod',
    },
    modules: [
      {
        title: 'Express fundamentals',
        lessons: [
          {
            title: 'How an HTTP request flows through Express',
            type: 'video',
            preview: true,
            intro:
              'Follow one GET request from curl to your route handler and back, and see exactly where middleware, routing and error handling fit.',
            points: ['Requests, responses and status codes', 'The middleware chain', 'Routing by method and path'],
            code: "app.get('/api/routes/:id', async (req, res) => {\n  res.json({ data: await findRoute(req.params.id) });\n});",
          },
          {
            title: 'Designing RESTful routes',
            type: 'article',
            minutes: 14,
            intro:
              'Good URLs are nouns, verbs live in HTTP methods; we design the full set of endpoints for searching buses and booking seats.',
            points: ['Resources and collections', 'Choosing status codes', 'Pagination and filtering'],
          },
          {
            title: 'Validation and error handling',
            type: 'video',
            intro:
              'Never trust the client: we validate every request body with zod and funnel all failures through one error-handling middleware.',
            points: ['Schema validation with zod', 'Async errors in Express', 'A consistent error format'],
          },
        ],
      },
      {
        title: 'Data and security',
        lessons: [
          {
            title: 'PostgreSQL with node-postgres',
            type: 'video',
            intro:
              'Connect the API to PostgreSQL with a connection pool, write parameterised queries and create the tables with a migration script.',
            points: ['Connection pools', 'Parameterised queries against SQL injection', 'Transactions for seat booking'],
          },
          {
            title: 'Authentication with JWT',
            type: 'video',
            intro:
              'Passwords are hashed with bcrypt, sign-in returns a short-lived JWT, and a middleware protects the booking routes.',
            points: ['Hashing passwords', 'Signing and verifying tokens', 'Protecting routes with middleware'],
          },
          {
            title: 'Live code review',
            type: 'live',
            minutes: 60,
            intro:
              'Bring your API repository to this live class: Ananya reviews a few submissions on screen and explains what she would change before production.',
            points: ['Project structure review', 'Security checklist', 'Open Q&A'],
          },
        ],
      },
    ],
  },
  {
    slug: 'sql-for-data-analysis',
    title: 'SQL for Data Analysis',
    summary:
      'Query real business data with SQL: filtering, joins, aggregation and window functions, using an Indian e-commerce dataset.',
    category: 'data-science-ai',
    level: 'beginner',
    language: 'English',
    price: 49900,
    instructors: ['vikram-nair'],
    cover: 'sql-for-data-analysis.png',
    codeLanguage: 'sql',
    description: {
      intro:
        'Every analyst role asks for SQL, and most interviews include a live query round. You will practise on a realistic dataset of orders from an Indian online store — festive-season spikes, cash-on-delivery returns and all.',
      outcomes: [
        'Write SELECT queries with filters, sorting and limits',
        'Combine tables with inner and outer joins',
        'Summarise data with GROUP BY and HAVING',
        'Use window functions for rankings and running totals',
      ],
      audience: 'Aspiring data and business analysts, and anyone who works with spreadsheets and wants to go further.',
      code: 'SELECT city, SUM(amount) AS revenue\nFROM orders\nGROUP BY city\nORDER BY revenue DESC\nLIMIT 5;',
    },
    modules: [
      {
        title: 'Querying one table',
        lessons: [
          {
            title: 'Your first SELECT',
            type: 'video',
            preview: true,
            intro:
              'We open the orders table in an online SQL playground and answer a first business question: which five cities ordered the most last Diwali?',
            points: ['SELECT and FROM', 'WHERE with AND / OR', 'ORDER BY and LIMIT'],
          },
          {
            title: 'Aggregation with GROUP BY',
            type: 'video',
            intro:
              'COUNT, SUM and AVG turn thousands of rows into a summary; HAVING then filters the groups, for example categories with over ₹10 lakh in sales.',
            points: ['Aggregate functions', 'GROUP BY one or more columns', 'WHERE vs HAVING'],
          },
        ],
      },
      {
        title: 'Joins and analysis',
        lessons: [
          {
            title: 'Joining tables',
            type: 'video',
            intro:
              'Customers, orders and products live in separate tables; inner and left joins bring them together, and we hunt down customers who never ordered.',
            points: ['INNER JOIN', 'LEFT JOIN and finding missing rows', 'Joining three tables'],
            code: 'SELECT c.name, COUNT(o.id) AS orders\nFROM customers c\nLEFT JOIN orders o ON o.customer_id = c.id\nGROUP BY c.name;',
          },
          {
            title: 'Window functions',
            type: 'article',
            minutes: 17,
            intro:
              'Window functions rank rows and compute running totals without collapsing them; we rank products within each category by monthly revenue.',
            points: ['ROW_NUMBER, RANK and DENSE_RANK', 'PARTITION BY', 'Running totals with SUM() OVER'],
          },
          {
            title: 'SQL interview quiz',
            type: 'quiz',
            minutes: 12,
            intro:
              'Twelve questions in the style of analyst interview screens, from spotting a wrong join to picking the right window function.',
            points: [
              'What is the difference between COUNT(*) and COUNT(column)?',
              'Why might a LEFT JOIN return more rows than the left table has?',
              'How do you find the second-highest order value per city?',
            ],
          },
        ],
      },
    ],
  },
  {
    slug: 'machine-learning-with-python',
    title: 'Machine Learning with Python',
    summary:
      'Go from data to deployed models with pandas and scikit-learn: regression, classification, evaluation and a capstone on crop-yield prediction.',
    category: 'data-science-ai',
    level: 'advanced',
    language: 'English',
    price: 299900,
    instructors: ['vikram-nair'],
    cover: 'machine-learning-with-python.png',
    codeLanguage: 'python',
    description: {
      intro:
        'A hands-on machine learning programme built around Indian datasets — monsoon rainfall, crop yields, housing prices in Pune. You will clean data, engineer features, train and evaluate models, and explain your results the way a hiring manager expects.',
      outcomes: [
        'Prepare messy real-world data with pandas',
        'Train and tune regression and classification models in scikit-learn',
        'Evaluate models honestly with cross-validation and the right metrics',
        'Present a capstone project with a clear, reproducible notebook',
      ],
      audience:
        'Learners comfortable with Python and school-level statistics; our Python for Everyone course covers the programming you need.',
      code: 'pip install pandas scikit-learn matplotlib jupyterlab\njupyter lab',
    },
    modules: [
      {
        title: 'Data preparation',
        lessons: [
          {
            title: 'The machine learning workflow',
            type: 'video',
            preview: true,
            intro:
              'Using rainfall and crop-yield data from five states, we walk the whole workflow once end to end before studying each step in depth.',
            points: ['Framing a prediction problem', 'Train, validation and test splits', 'Baselines before models'],
          },
          {
            title: 'Cleaning data with pandas',
            type: 'video',
            intro:
              'Missing district names, rainfall recorded in two different units and duplicated rows: we fix each with pandas and keep the steps reproducible.',
            points: ['Inspecting a DataFrame', 'Handling missing values', 'Fixing types and units'],
            code: "df = pd.read_csv('crop_yield.csv')\ndf['rainfall_mm'] = df['rainfall_cm'] * 10\ndf = df.dropna(subset=['district'])",
          },
          {
            title: 'Feature engineering',
            type: 'article',
            minutes: 18,
            intro:
              'Good features matter more than clever algorithms; this reading covers encoding categories, scaling numbers and building features from dates.',
            points: ['One-hot and ordinal encoding', 'Scaling with StandardScaler', 'Pipelines and ColumnTransformer'],
          },
        ],
      },
      {
        title: 'Models and evaluation',
        lessons: [
          {
            title: 'Linear and logistic regression',
            type: 'video',
            intro:
              'We predict Pune flat prices with linear regression, then predict loan default with logistic regression, interpreting the coefficients of each.',
            points: ['Fitting and predicting', 'Regularisation with Ridge and Lasso', 'Interpreting coefficients'],
          },
          {
            title: 'Trees, forests and boosting',
            type: 'video',
            intro:
              'Decision trees, random forests and gradient boosting are compared on the same churn dataset so you can see what each one buys you.',
            points: ['How a decision tree splits', 'Bagging vs boosting', 'Feature importance, with caveats'],
          },
          {
            title: 'Evaluating models honestly',
            type: 'article',
            minutes: 16,
            intro:
              'Accuracy can lie on imbalanced data; we cover precision, recall, ROC-AUC and k-fold cross-validation, and how to avoid leaking test data.',
            points: ['Confusion matrix', 'Precision, recall and F1', 'Cross-validation and data leakage'],
          },
        ],
      },
      {
        title: 'Capstone',
        lessons: [
          {
            title: 'Capstone kickoff: crop-yield prediction',
            type: 'live',
            minutes: 75,
            intro:
              'Vikram introduces the capstone dataset live, forms teams of three, and agrees the evaluation metric and deadlines with the batch.',
            points: ['The dataset and the question', 'Team roles', 'What a strong submission looks like'],
          },
          {
            title: 'ML concepts quiz',
            type: 'quiz',
            minutes: 15,
            intro:
              'Check your understanding of overfitting, metrics and validation before you submit your capstone notebook.',
            points: [
              'What is overfitting, and how does cross-validation help detect it?',
              'When is recall more important than precision?',
              'Why must scaling be fitted on the training set only?',
            ],
          },
        ],
      },
    ],
  },
  {
    slug: 'devops-docker-kubernetes',
    title: 'DevOps with Docker & Kubernetes',
    summary:
      'Containerise applications, automate CI/CD with GitHub Actions and run them on Kubernetes — the skills behind modern cloud deployments.',
    category: 'cloud-devops',
    level: 'advanced',
    language: 'English',
    price: 299900,
    instructors: ['ananya-rao', 'vikram-nair'],
    cover: 'devops-docker-kubernetes.png',
    codeLanguage: 'dockerfile',
    description: {
      intro:
        'Indian SaaS companies and GCCs are hiring DevOps and platform engineers faster than colleges can train them. This course takes a small Node.js service from a laptop to a Kubernetes cluster, with a CI/CD pipeline and monitoring along the way.',
      outcomes: [
        'Write efficient, secure Dockerfiles and use Docker Compose',
        'Build CI/CD pipelines with GitHub Actions',
        'Deploy, scale and update applications on Kubernetes',
        'Add health checks, logs and basic monitoring',
      ],
      audience: 'Developers and system administrators with Linux command-line basics who want to move into DevOps or SRE roles.',
      code: 'docker build -t skillyug/api:1.0 .\ndocker run -p 3000:3000 skillyug/api:1.0',
    },
    modules: [
      {
        title: 'Containers with Docker',
        lessons: [
          {
            title: 'Why containers?',
            type: 'video',
            preview: true,
            intro:
              'The classic “works on my machine” bug is reproduced on purpose, then fixed by packaging the app and its runtime into a container image.',
            points: ['Images vs containers', 'Containers vs virtual machines', 'Installing Docker'],
          },
          {
            title: 'Writing a good Dockerfile',
            type: 'video',
            intro:
              'Multi-stage builds shrink our Node.js image from 1.1 GB to under 150 MB; we also run it as a non-root user and cache dependencies properly.',
            points: ['Layers and caching', 'Multi-stage builds', 'Running as non-root'],
            code: 'FROM node:20-alpine AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build',
          },
          {
            title: 'Docker Compose for local stacks',
            type: 'article',
            minutes: 13,
            intro:
              'One compose file starts the API, PostgreSQL and Redis together; this reading explains services, networks, volumes and health checks.',
            points: ['Defining services', 'Volumes for persistent data', 'depends_on with health checks'],
          },
        ],
      },
      {
        title: 'CI/CD and Kubernetes',
        lessons: [
          {
            title: 'CI/CD with GitHub Actions',
            type: 'video',
            intro:
              'Every push now runs tests, builds an image and pushes it to a registry; we write the workflow file line by line.',
            points: ['Workflows, jobs and steps', 'Caching dependencies', 'Pushing images with secrets'],
          },
          {
            title: 'Kubernetes: pods, deployments and services',
            type: 'video',
            intro:
              'On a local kind cluster we deploy the API, scale it to three replicas, expose it with a Service and watch a rolling update replace the pods.',
            points: ['Pods and Deployments', 'Services and Ingress', 'Rolling updates and rollbacks'],
            code: 'kubectl apply -f deployment.yaml\nkubectl scale deployment api --replicas=3\nkubectl rollout status deployment/api',
          },
          {
            title: 'Live lab: deploying to a managed cluster',
            type: 'live',
            minutes: 90,
            intro:
              'In this live lab the batch deploys the same service to a managed Kubernetes cluster in the Mumbai region and debugs a failing readiness probe together.',
            points: ['Configuring kubectl contexts', 'ConfigMaps and Secrets', 'Debugging with logs and describe'],
          },
          {
            title: 'DevOps quiz',
            type: 'quiz',
            minutes: 12,
            intro:
              'Ten scenario questions on images, pipelines and Kubernetes objects, similar to those asked in DevOps engineer interviews.',
            points: [
              'Why does the order of instructions in a Dockerfile affect build time?',
              'What is the difference between a liveness and a readiness probe?',
              'How would you roll back a bad deployment?',
            ],
          },
        ],
      },
    ],
  },
];

/** @type {CourseSpec} Never published: the tests check that drafts stay invisible. */
const DRAFT_COURSE = {
  slug: 'system-design-masterclass',
  title: 'System Design Masterclass',
  summary: 'Design scalable systems like UPI, IRCTC and food-delivery platforms. Coming soon.',
  category: 'cloud-devops',
  level: 'advanced',
  language: 'English',
  price: 299900,
  instructors: ['vikram-nair', 'ananya-rao'],
  cover: null,
  codeLanguage: 'text',
  description: {
    intro:
      'A work-in-progress course on designing large-scale systems for senior engineering interviews, built around case studies of well-known Indian platforms.',
    outcomes: ['Estimate load and storage', 'Choose between SQL and NoSQL stores', 'Design for failure'],
    audience: 'Engineers with two or more years of experience preparing for senior roles.',
  },
  modules: [
    {
      title: 'Foundations (draft)',
      lessons: [
        {
          title: 'Back-of-the-envelope estimation',
          type: 'video',
          preview: true,
          intro:
            'Draft lesson: estimating how many tatkal booking requests per second a railway ticketing system must absorb at 10 a.m.',
          points: ['Orders of magnitude', 'Read vs write ratios', 'Storage estimates'],
        },
        {
          title: 'Caching strategies',
          type: 'article',
          minutes: 15,
          intro: 'Draft lesson: cache-aside, write-through and write-back caching compared for a restaurant-menu service.',
          points: ['Cache-aside', 'Eviction policies', 'Cache stampedes'],
        },
      ],
    },
  ],
};

module.exports = { PASSWORDS, SUPER_ADMIN, EDITOR, MENTORS, STUDENTS, CATEGORIES, COURSES, DRAFT_COURSE };
