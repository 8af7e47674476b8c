// The .nn language, version 1 (see README.md and docs/language-notes.md).
//
// Statements end at a newline or ';'. A newline inside (...) or [...] does not end one:
// the lexer counts open brackets and drops NEWLINE tokens while any is open.
grammar Nn;

@lexer::members {
    private int openBrackets = 0;
    private void open() { openBrackets++; }
    private void close() { if (openBrackets > 0) openBrackets--; }
}

file
    : sep* (item (sep+ item)*)? sep* EOF
    ;

item
    : modelDecl
    | defDecl
    ;

sep
    : NEWLINE
    | ';'
    ;

defDecl
    : 'def' name=ID LPAREN (ID (',' ID)*)? RPAREN '=' expr
    ;

modelDecl
    : 'model' name=ID '{' sep* (stmt (sep+ stmt)*)? sep* '}'
    ;

stmt
    : 'input' name=ID shape? onehot='onehot'?                       # inputDecl
    | 'target' name=ID shape? onehot='onehot'?                       # targetDecl
    | 'param' name=ID shape? init?                                  # paramDecl
    | 'const' name=ID '=' expr                                      # constDecl
    | 'output' name=ID                                              # outputDecl
    | 'loss' '=' expr                                               # lossDecl
    | name=ID '=' expr                                              # bindDecl
    | defDecl                                                       # localDefDecl
    | 'data' '{' sep* (setting (sep+ setting)*)? sep* '}'           # dataBlock
    | 'train' '{' sep* (setting (sep+ setting)*)? sep* '}'          # trainBlock
    ;

shape
    : LBRACKET (INT (',' INT)*)? RBRACKET
    ;

init
    : op='=' expr
    | op='~' expr
    ;

// A key = value line of a data or train block. `data` is a keyword but also a train key.
setting
    : key=settingKey '=' expr
    ;

settingKey
    : ID
    | 'data'
    ;

// Precedence, loosest first: + - ; * / @ ; unary - ; ^ (right-associative, its right
// operand may itself be negated: x^-2) ; postfix ' (transpose) and [...] (indexing), left to right.
expr
    : expr op=('+' | '-') mulExpr
    | mulExpr
    ;

mulExpr
    : mulExpr op=('*' | '/' | '@') unary
    | unary
    ;

unary
    : '-' unary
    | power
    ;

power
    : postfix ('^' unary)?
    ;

postfix
    : primary (TICK | index)*
    ;

// x[2], x[2:5], x[:3], W[:, 0]: one subscript per dimension, from the first; the rest are whole.
index
    : LBRACKET subscript (',' subscript)* RBRACKET
    ;

subscript
    : at=expr                                                       # pointSubscript
    | from=expr? ':' to=expr?                                       # rangeSubscript
    ;

primary
    : number=(INT | FLOAT)                                          # numberExpr
    | STRING                                                        # stringExpr
    | callee=ID LPAREN (arg (',' arg)*)? RPAREN                           # callExpr
    | ref=ID ('.' field=ID)?                                        # refExpr
    | LPAREN expr RPAREN                                                  # parenExpr
    | LBRACKET (expr (',' expr)* ','?)? RBRACKET                              # tensorExpr
    ;

arg
    : (name=ID '=')? expr
    ;

LPAREN   : '(' { open(); } ;
RPAREN   : ')' { close(); } ;
LBRACKET : '[' { open(); } ;
RBRACKET : ']' { close(); } ;
TICK     : '\'' ;

INT      : [0-9]+ ;
FLOAT    : [0-9]+ '.' [0-9]* EXPONENT?
         | '.' [0-9]+ EXPONENT?
         | [0-9]+ EXPONENT
         ;
fragment EXPONENT : [eE] [+-]? [0-9]+ ;

STRING   : '"' ~["\r\n]* '"' ;
ID       : [a-zA-Z_] [a-zA-Z_0-9]* ;

NEWLINE  : ('\r'? '\n' | '\r') { if (openBrackets > 0) skip(); } ;
COMMENT  : '#' ~[\r\n]* -> skip ;
WS       : [ \t\f]+ -> skip ;

// Anything else becomes one token the parser reports as unexpected, rather than a lexer error.
UNKNOWN  : . ;
